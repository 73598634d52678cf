package io.instantonbench.library.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

@Entity
@Table(name = "book")
public class Book {
  @Id private Long id;

  @Column(nullable = false, length = 200)
  private String title;

  @Column(nullable = false, unique = true, length = 17)
  private String isbn;

  @Column(name = "published_year")
  private Integer publishedYear;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "author_id")
  private Author author;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "genre_id")
  private Genre genre;

  protected Book() {}

  public Long getId() { return id; }
  public String getTitle() { return title; }
  public String getIsbn() { return isbn; }
  public Integer getPublishedYear() { return publishedYear; }
  public Author getAuthor() { return author; }
  public Genre getGenre() { return genre; }
}
