package io.instantonbench.library.service;

/** A loan the library's rules do not allow (no copy free, too many open loans). */
public class LoanRefusedException extends RuntimeException {
  public LoanRefusedException(String reason) {
    super(reason);
  }
}
