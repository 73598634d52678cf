package io.instantonbench.library.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.LocalDate;

@Entity
@Table(name = "loan")
public class Loan {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "loan_seq")
  @SequenceGenerator(name = "loan_seq", sequenceName = "loan_id_seq", allocationSize = 1)
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "copy_id")
  private BookCopy copy;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "member_id")
  private Member member;

  @Column(name = "borrowed_on", nullable = false)
  private LocalDate borrowedOn;

  @Column(name = "due_on", nullable = false)
  private LocalDate dueOn;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 12)
  private LoanStatus status;

  protected Loan() {}

  public Loan(BookCopy copy, Member member, LocalDate borrowedOn, LocalDate dueOn) {
    this.copy = copy;
    this.member = member;
    this.borrowedOn = borrowedOn;
    this.dueOn = dueOn;
    this.status = LoanStatus.OPEN;
  }

  public void markReturned() { this.status = LoanStatus.RETURNED; }

  public Long getId() { return id; }
  public BookCopy getCopy() { return copy; }
  public Member getMember() { return member; }
  public LocalDate getBorrowedOn() { return borrowedOn; }
  public LocalDate getDueOn() { return dueOn; }
  public LoanStatus getStatus() { return status; }
}
