package io.instantonbench.library.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "genre")
public class Genre {
  @Id private Long id;

  @Column(nullable = false, unique = true, length = 60)
  private String name;

  protected Genre() {}

  public Long getId() { return id; }
  public String getName() { return name; }
}
