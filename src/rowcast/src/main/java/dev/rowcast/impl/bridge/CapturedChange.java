package dev.rowcast.impl.bridge;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ReactiveEntityModel;

/** A committed change with the model of its entity. */
public record CapturedChange(ReactiveEntityModel model, EntityChange change) {
}
