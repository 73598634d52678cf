package io.instantonbench.library.service;

import io.instantonbench.library.domain.Loan;
import java.time.LocalDate;

public record LoanView(Long id, String title, String branch, String member, LocalDate borrowedOn, LocalDate dueOn) {
  public static LoanView of(Loan loan) {
    return new LoanView(
        loan.getId(),
        loan.getCopy().getBook().getTitle(),
        loan.getCopy().getBranch().getName(),
        loan.getMember().getName(),
        loan.getBorrowedOn(),
        loan.getDueOn());
  }
}
