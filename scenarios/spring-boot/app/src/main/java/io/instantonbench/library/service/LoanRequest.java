package io.instantonbench.library.service;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** A request to borrow a book (JSON API). */
public record LoanRequest(@NotNull Long bookId, @NotNull Long memberId, @Min(1) @Max(42) int days) {}
