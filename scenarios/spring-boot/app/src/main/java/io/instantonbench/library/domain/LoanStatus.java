package io.instantonbench.library.domain;

public enum LoanStatus {
  OPEN,
  RETURNED
}
