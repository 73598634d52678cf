package io.instantonbench.library.repository;

import io.instantonbench.library.domain.Branch;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface BranchRepository extends JpaRepository<Branch, Long> {
  List<Branch> findAllByOrderByNameAsc();
}
