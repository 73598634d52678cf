package io.instantonbench.library.web;

import io.instantonbench.library.service.BookSummary;
import io.instantonbench.library.service.CatalogService;
import io.instantonbench.library.service.CopyAvailability;
import io.instantonbench.library.service.LoanRequest;
import io.instantonbench.library.service.LoanService;
import io.instantonbench.library.service.LoanView;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The JSON API: the catalogue, copies and loans. */
@RestController
@RequestMapping("/api")
public class ApiController {
  private final CatalogService catalog;
  private final LoanService loans;

  public ApiController(CatalogService catalog, LoanService loans) {
    this.catalog = catalog;
    this.loans = loans;
  }

  @GetMapping("/books")
  public List<BookSummary> books(@RequestParam(name = "q", required = false) String q) {
    return catalog.search(q);
  }

  @GetMapping("/books/{id}")
  public BookSummary book(@PathVariable Long id) {
    return catalog.book(id);
  }

  @GetMapping("/books/{id}/copies")
  public List<CopyAvailability> copies(@PathVariable Long id) {
    return catalog.copies(id);
  }

  @GetMapping("/loans")
  public List<LoanView> openLoans() {
    return loans.open();
  }

  @PostMapping("/loans")
  @ResponseStatus(HttpStatus.CREATED)
  public LoanView borrow(@Valid @RequestBody LoanRequest request) {
    return loans.borrow(request);
  }
}
