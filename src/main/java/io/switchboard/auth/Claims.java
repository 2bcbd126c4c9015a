package io.switchboard.auth;

import java.util.List;

/**
 * What a verified token allows.
 *
 * @param user        the token's {@code sub}; the only user id the server ever trusts
 * @param rooms       patterns of rooms the user may join
 * @param send        patterns of streams the user may send to; {@link Permissions#MEMBER_ROOMS} stands for
 *                    every room the user is a member of
 * @param broadcast   whether the user may send to {@code all}
 * @param expiresAtMs token expiry in epoch ms, or 0 when the token has no {@code exp}
 */
public record Claims(String user, List<GlobPattern> rooms, List<GlobPattern> send, boolean broadcast, long expiresAtMs) {
}
