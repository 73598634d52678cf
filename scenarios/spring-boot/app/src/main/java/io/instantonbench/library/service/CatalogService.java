package io.instantonbench.library.service;

import io.instantonbench.library.domain.Book;
import io.instantonbench.library.domain.BookCopy;
import io.instantonbench.library.repository.AuthorRepository;
import io.instantonbench.library.repository.BookCopyRepository;
import io.instantonbench.library.repository.BookRepository;
import io.instantonbench.library.repository.GenreRepository;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The catalogue: books, authors, genres and where each copy is. The book list is cached (it changes rarely). */
@Service
@Transactional(readOnly = true)
public class CatalogService {
  private final BookRepository books;
  private final BookCopyRepository copies;
  private final AuthorRepository authors;
  private final GenreRepository genres;

  public CatalogService(
      BookRepository books, BookCopyRepository copies, AuthorRepository authors, GenreRepository genres) {
    this.books = books;
    this.copies = copies;
    this.authors = authors;
    this.genres = genres;
  }

  @Cacheable("books")
  public List<BookSummary> allBooks() {
    return books.findAllWithAuthorAndGenre().stream().map(BookSummary::of).toList();
  }

  public List<BookSummary> search(String text) {
    if (text == null || text.isBlank()) return allBooks();
    return books.search(text.trim()).stream().map(BookSummary::of).toList();
  }

  @Cacheable(value = "book", key = "#id")
  public BookSummary book(Long id) {
    Book book = books.findWithAuthorAndGenre(id).orElseThrow(() -> new NotFoundException("book", id));
    return BookSummary.of(book);
  }

  public List<CopyAvailability> copies(Long bookId) {
    Set<Long> free = copies.findAvailable(bookId).stream().map(BookCopy::getId).collect(Collectors.toSet());
    return copies.findByBook(bookId).stream()
        .map(
            c ->
                new CopyAvailability(
                    c.getId(), c.getBranch().getName(), c.getBranch().getCity(), c.getShelf(), free.contains(c.getId())))
        .toList();
  }

  @Cacheable("authors")
  public List<AuthorView> authors() {
    return authors.findAllByOrderByNameAsc().stream()
        .map(a -> new AuthorView(a.getId(), a.getName(), a.getBornYear(), books.findByAuthorIdOrderByPublishedYearAsc(a.getId()).size()))
        .toList();
  }

  public List<String> genres() {
    return genres.findAllByOrderByNameAsc().stream().map(g -> g.getName()).toList();
  }

  public long bookCount() {
    return books.count();
  }
}
