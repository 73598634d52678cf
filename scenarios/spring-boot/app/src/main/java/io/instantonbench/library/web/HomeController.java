package io.instantonbench.library.web;

import io.instantonbench.library.service.CatalogService;
import io.instantonbench.library.service.LoanService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
public class HomeController {
  private final CatalogService catalog;
  private final LoanService loans;

  public HomeController(CatalogService catalog, LoanService loans) {
    this.catalog = catalog;
    this.loans = loans;
  }

  @GetMapping("/")
  public String home(Model model) {
    model.addAttribute("books", catalog.bookCount());
    model.addAttribute("genres", catalog.genres());
    model.addAttribute("openLoans", loans.open().size());
    return "home";
  }
}
