package io.instantonbench.library.service;

/** One copy of a book: where it is shelved and whether it can be borrowed. */
public record CopyAvailability(Long copyId, String branch, String city, String shelf, boolean available) {}
