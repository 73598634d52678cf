package io.instantonbench.library.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One physical copy of a book, shelved at a branch. */
@Entity
@Table(name = "book_copy")
public class BookCopy {
  @Id private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "book_id")
  private Book book;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "branch_id")
  private Branch branch;

  @Column(nullable = false, length = 20)
  private String shelf;

  protected BookCopy() {}

  public Long getId() { return id; }
  public Book getBook() { return book; }
  public Branch getBranch() { return branch; }
  public String getShelf() { return shelf; }
}
