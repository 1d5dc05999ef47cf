package org.example.helpdesk.backoffice.auth;

import java.util.Locale;

/** Someone who works in the backoffice, with what they may do. */
public record Employee(String name, Role role) {

  public enum Role {
    /** Sees tickets, creates internal ones, assigns and cancels. */
    AGENT,
    /** Everything an agent does, and the dead letters: sees, replays and deletes them. */
    OPERATOR;

    public boolean includes(Role needed) {
      return this == OPERATOR || needed == AGENT;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String raw) {
      for (Role r : values()) {
        if (r.label().equals(raw)) {
          return r;
        }
      }
      throw new IllegalArgumentException("unknown role '" + raw + "' (agent or operator)");
    }
  }

  public boolean may(Role needed) {
    return role.includes(needed);
  }
}
