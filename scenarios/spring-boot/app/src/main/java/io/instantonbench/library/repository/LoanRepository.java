package io.instantonbench.library.repository;

import io.instantonbench.library.domain.Loan;
import io.instantonbench.library.domain.LoanStatus;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface LoanRepository extends JpaRepository<Loan, Long> {
  @Query(
      "select l from Loan l join fetch l.copy c join fetch c.book join fetch c.branch join fetch l.member "
          + "where l.status = :status order by l.dueOn")
  List<Loan> findByStatusWithDetails(@Param("status") LoanStatus status);

  long countByMemberIdAndStatus(Long memberId, LoanStatus status);
}
