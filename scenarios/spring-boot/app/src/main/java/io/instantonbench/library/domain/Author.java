package io.instantonbench.library.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "author")
public class Author {
  @Id private Long id;

  @Column(nullable = false, length = 120)
  private String name;

  @Column(name = "born_year")
  private Integer bornYear;

  protected Author() {}

  public Author(Long id, String name, Integer bornYear) {
    this.id = id;
    this.name = name;
    this.bornYear = bornYear;
  }

  public Long getId() { return id; }
  public String getName() { return name; }
  public Integer getBornYear() { return bornYear; }
}
