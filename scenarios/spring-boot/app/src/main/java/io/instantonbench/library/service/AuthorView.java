package io.instantonbench.library.service;

public record AuthorView(Long id, String name, Integer bornYear, int books) {}
