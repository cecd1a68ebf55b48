package dev.mediasync.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JVM of its own running a main class from the load generator's jar, with this JVM's {@code java}. */
final class OwnJvm {

    private OwnJvm() {
    }

    static ProcessBuilder of(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(Path.of(URI.create(OwnJvm.class.getProtectionDomain().getCodeSource().getLocation().toString()))
                .toString());
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
