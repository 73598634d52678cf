package io.instantonbench.library.web;

import io.instantonbench.library.service.LoanService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

@Controller
public class LoanController {
  private final LoanService loans;

  public LoanController(LoanService loans) {
    this.loans = loans;
  }

  @GetMapping("/loans")
  public String open(Model model) {
    model.addAttribute("loans", loans.open());
    return "loans";
  }

  @PostMapping("/loans/{id}/return")
  public String giveBack(@PathVariable Long id) {
    loans.giveBack(id);
    return "redirect:/loans";
  }
}
