package io.instantonbench.library.service;

import io.instantonbench.library.domain.BookCopy;
import io.instantonbench.library.domain.Loan;
import io.instantonbench.library.domain.LoanStatus;
import io.instantonbench.library.domain.Member;
import io.instantonbench.library.repository.BookCopyRepository;
import io.instantonbench.library.repository.LoanRepository;
import io.instantonbench.library.repository.MemberRepository;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Borrowing and returning: the first free copy is lent, up to a member's limit of open loans. */
@Service
public class LoanService {
  private final LoanRepository loans;
  private final BookCopyRepository copies;
  private final MemberRepository members;
  private final Clock clock;
  private final int maxOpenLoans;

  public LoanService(
      LoanRepository loans,
      BookCopyRepository copies,
      MemberRepository members,
      Clock clock,
      @Value("${library.max-open-loans:5}") int maxOpenLoans) {
    this.loans = loans;
    this.copies = copies;
    this.members = members;
    this.clock = clock;
    this.maxOpenLoans = maxOpenLoans;
  }

  @Transactional(readOnly = true)
  public List<LoanView> open() {
    return loans.findByStatusWithDetails(LoanStatus.OPEN).stream().map(LoanView::of).toList();
  }

  @Transactional
  public LoanView borrow(LoanRequest request) {
    Member member =
        members.findById(request.memberId()).orElseThrow(() -> new NotFoundException("member", request.memberId()));
    if (loans.countByMemberIdAndStatus(member.getId(), LoanStatus.OPEN) >= maxOpenLoans)
      throw new LoanRefusedException(member.getName() + " has " + maxOpenLoans + " books out already");
    List<BookCopy> free = copies.findAvailable(request.bookId());
    if (free.isEmpty()) throw new LoanRefusedException("no copy of book " + request.bookId() + " is free");
    LocalDate today = LocalDate.now(clock);
    Loan loan = loans.save(new Loan(free.get(0), member, today, today.plusDays(request.days())));
    return LoanView.of(loan);
  }

  @Transactional
  public void giveBack(Long loanId) {
    Loan loan = loans.findById(loanId).orElseThrow(() -> new NotFoundException("loan", loanId));
    loan.markReturned();
  }
}
