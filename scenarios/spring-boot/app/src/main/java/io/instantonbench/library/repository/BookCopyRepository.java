package io.instantonbench.library.repository;

import io.instantonbench.library.domain.BookCopy;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface BookCopyRepository extends JpaRepository<BookCopy, Long> {
  @Query("select c from BookCopy c join fetch c.branch where c.book.id = :bookId order by c.branch.name, c.shelf")
  List<BookCopy> findByBook(@Param("bookId") Long bookId);

  /** Copies of a book with no open loan. */
  @Query(
      "select c from BookCopy c join fetch c.branch where c.book.id = :bookId and not exists "
          + "(select l from Loan l where l.copy = c and l.status = io.instantonbench.library.domain.LoanStatus.OPEN) "
          + "order by c.id")
  List<BookCopy> findAvailable(@Param("bookId") Long bookId);
}
