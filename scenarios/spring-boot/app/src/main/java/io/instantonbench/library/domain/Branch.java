package io.instantonbench.library.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "branch")
public class Branch {
  @Id private Long id;

  @Column(nullable = false, length = 80)
  private String name;

  @Column(nullable = false, length = 80)
  private String city;

  protected Branch() {}

  public Long getId() { return id; }
  public String getName() { return name; }
  public String getCity() { return city; }
}
