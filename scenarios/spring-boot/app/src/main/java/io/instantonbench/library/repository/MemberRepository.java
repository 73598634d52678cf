package io.instantonbench.library.repository;

import io.instantonbench.library.domain.Member;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface MemberRepository extends JpaRepository<Member, Long> {
  List<Member> findAllByOrderByNameAsc();

  Optional<Member> findByEmailIgnoreCase(String email);
}
