package io.instantonbench.library.service;

/** A page or API call named a record that does not exist. */
public class NotFoundException extends RuntimeException {
  public NotFoundException(String what, Object id) {
    super(what + " " + id + " does not exist");
  }
}
