package io.instantonbench.library.repository;

import io.instantonbench.library.domain.Book;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface BookRepository extends JpaRepository<Book, Long> {
  @Query("select b from Book b join fetch b.author join fetch b.genre order by b.title")
  List<Book> findAllWithAuthorAndGenre();

  @Query("select b from Book b join fetch b.author join fetch b.genre where b.id = :id")
  Optional<Book> findWithAuthorAndGenre(@Param("id") Long id);

  @Query(
      "select b from Book b join fetch b.author join fetch b.genre "
          + "where lower(b.title) like lower(concat('%', :text, '%')) "
          + "or lower(b.author.name) like lower(concat('%', :text, '%')) order by b.title")
  List<Book> search(@Param("text") String text);

  List<Book> findByAuthorIdOrderByPublishedYearAsc(Long authorId);
}
