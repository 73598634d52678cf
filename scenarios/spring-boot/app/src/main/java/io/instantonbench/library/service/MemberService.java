package io.instantonbench.library.service;

import io.instantonbench.library.domain.Member;
import io.instantonbench.library.repository.MemberRepository;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class MemberService {
  private final MemberRepository members;
  private final Clock clock;

  public MemberService(MemberRepository members, Clock clock) {
    this.members = members;
    this.clock = clock;
  }

  @Transactional(readOnly = true)
  public List<Member> all() {
    return members.findAllByOrderByNameAsc();
  }

  @Transactional(readOnly = true)
  public Member get(Long id) {
    return members.findById(id).orElseThrow(() -> new NotFoundException("member", id));
  }

  /** Joins a new member; an e-mail address already taken is refused. */
  @Transactional
  public Member join(MemberForm form) {
    members
        .findByEmailIgnoreCase(form.getEmail())
        .ifPresent(
            m -> {
              throw new LoanRefusedException("a member with " + form.getEmail() + " exists already");
            });
    return members.save(new Member(form.getName().trim(), form.getEmail().trim(), LocalDate.now(clock)));
  }
}
