package io.instantonbench.library.service;

import io.instantonbench.library.domain.Book;

/** What the catalogue pages and the JSON API show of a book (no lazy associations left open). */
public record BookSummary(Long id, String title, String author, String genre, Integer publishedYear, String isbn) {
  public static BookSummary of(Book book) {
    return new BookSummary(
        book.getId(),
        book.getTitle(),
        book.getAuthor().getName(),
        book.getGenre().getName(),
        book.getPublishedYear(),
        book.getIsbn());
  }
}
