package io.switchboard.client;

/**
 * The outcome of a request: exactly one of {@code result} and {@code error} is non-null (except for
 * requests whose result is {@code Void}, where both are null on success).
 */
public interface Callback<T> {
  void onDone(T result, SwitchboardException error);
}
