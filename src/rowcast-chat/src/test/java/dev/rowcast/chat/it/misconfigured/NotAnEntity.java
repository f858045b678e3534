package dev.rowcast.chat.it.misconfigured;

import jakarta.enterprise.context.ApplicationScoped;

import dev.rowcast.Reactive;

/** Misconfigured on purpose: @Reactive on a CDI bean that is no entity. */
@ApplicationScoped
@Reactive(scopes = "id")
public class NotAnEntity {
}
