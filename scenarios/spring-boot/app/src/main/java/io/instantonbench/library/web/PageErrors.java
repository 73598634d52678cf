package io.instantonbench.library.web;

import io.instantonbench.library.service.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A missing record on a page: the error page with 404. */
@ControllerAdvice(assignableTypes = {BookController.class, MemberController.class, LoanController.class})
public class PageErrors {
  @ExceptionHandler(NotFoundException.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  public String notFound(NotFoundException e, Model model) {
    model.addAttribute("message", e.getMessage());
    return "not-found";
  }
}
