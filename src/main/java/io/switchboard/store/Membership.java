package io.switchboard.store;

/**
 * One room membership of a user.
 *
 * @param granted  the HTTP API granted it: followed whatever the user's token says
 * @param joinedAt the room's head when the membership began: a device of the user that has no
 *                 position in the room (it was offline when the user joined) starts after it
 */
public record Membership(boolean granted, Position joinedAt) {
}
