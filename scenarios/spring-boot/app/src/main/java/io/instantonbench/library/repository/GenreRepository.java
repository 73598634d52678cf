package io.instantonbench.library.repository;

import io.instantonbench.library.domain.Genre;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface GenreRepository extends JpaRepository<Genre, Long> {
  List<Genre> findAllByOrderByNameAsc();
}
