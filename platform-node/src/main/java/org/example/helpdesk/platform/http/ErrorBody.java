package org.example.helpdesk.platform.http;

/** Every error the APIs answer with: {@code {"error": "..."}}. */
public record ErrorBody(String error) {}
