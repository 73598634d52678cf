package io.instantonbench.library.web;

import io.instantonbench.library.service.CatalogService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
public class AuthorController {
  private final CatalogService catalog;

  public AuthorController(CatalogService catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/authors")
  public String list(Model model) {
    model.addAttribute("authors", catalog.authors());
    return "authors";
  }
}
