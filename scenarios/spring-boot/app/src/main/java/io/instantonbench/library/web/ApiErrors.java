package io.instantonbench.library.web;

import io.instantonbench.library.service.LoanRefusedException;
import io.instantonbench.library.service.NotFoundException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The API's errors as JSON with the status that fits. */
@RestControllerAdvice(assignableTypes = ApiController.class)
public class ApiErrors {
  @ExceptionHandler(NotFoundException.class)
  public ResponseEntity<Map<String, String>> notFound(NotFoundException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
  }

  @ExceptionHandler(LoanRefusedException.class)
  public ResponseEntity<Map<String, String>> refused(LoanRefusedException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  public ResponseEntity<Map<String, String>> invalid(MethodArgumentNotValidException e) {
    var field = e.getBindingResult().getFieldError();
    String message = field == null ? "invalid request" : field.getField() + " " + field.getDefaultMessage();
    return ResponseEntity.badRequest().body(Map.of("error", message));
  }
}
