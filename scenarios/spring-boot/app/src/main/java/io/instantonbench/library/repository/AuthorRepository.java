package io.instantonbench.library.repository;

import io.instantonbench.library.domain.Author;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AuthorRepository extends JpaRepository<Author, Long> {
  List<Author> findAllByOrderByNameAsc();
}
