package io.instantonbench.library.web;

import io.instantonbench.library.service.CatalogService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The catalogue pages: the list (with a search) and one book with its copies. */
@Controller
public class BookController {
  private final CatalogService catalog;

  public BookController(CatalogService catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/books")
  public String list(@RequestParam(name = "q", required = false) String q, Model model) {
    model.addAttribute("q", q == null ? "" : q);
    model.addAttribute("books", catalog.search(q));
    return "books";
  }

  @GetMapping("/books/{id}")
  public String show(@PathVariable Long id, Model model) {
    model.addAttribute("book", catalog.book(id));
    model.addAttribute("copies", catalog.copies(id));
    return "book";
  }
}
