package dev.rowcast.bench;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("/api")
public class BenchApplication extends Application {
}
