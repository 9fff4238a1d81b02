package dev.porter.examples;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block of README.md and docs/*.md compiles against the current API, so a reader who copies
 * one gets code that builds. Each block becomes the body of a method (its statements) in a class of its own, with
 * the public packages of core, http and examples and the usual JDK ones imported. What a block uses without
 * declaring (a {@code router}, a {@code handler} made elsewhere) is declared in an HTML comment on the line before
 * its fence, which a rendered page does not show: {@code <!-- java: Router router = new Router(); -->}.
 * {@code <!-- java members -->} puts the block in the class body instead (declarations of types).
 */
class DocSnippetsTest {

    private static final String IMPORTS = "import dev.porter.core.*; import dev.porter.http.*; import dev.porter.examples.*;"
            + " import java.io.*; import java.net.*; import java.nio.channels.*; import java.nio.file.*;"
            + " import java.time.*; import java.util.*;\n";

    /** One block: where it is, what it says, and how to wrap it. */
    private record Snippet(String where, String code, String context, boolean members) {
        String className() {
            return "Snippet_" + where.replaceAll("[^A-Za-z0-9]", "_");
        }

        String source() {
            String body = members ? code : "void run() throws Exception {\n" + context + "\n" + code + "\n}";
            return IMPORTS + "class " + className() + " {\n" + body + "\n}\n";
        }
    }

    @Test
    void everyJavaBlockInTheDocsCompiles() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // tests run in examples/
        List<Snippet> snippets = new ArrayList<>(snippets(root, root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                snippets.addAll(snippets(root, doc));
            }
        }
        assertThat(snippets).as("java blocks found").hasSizeGreaterThan(20);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("porter-doc-snippets");
        List<JavaFileObject> units = new ArrayList<>();
        for (Snippet s : snippets) units.add(new Source(s.className(), s.source()));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean ok = javac.getTask(null, null, diagnostics,
                List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path"), "-proc:none", "-encoding", "UTF-8"),
                null, units).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            String cls = d.getSource() == null ? "?" : d.getSource().getName();
            String where = snippets.stream().filter(s -> cls.contains(s.className())).map(Snippet::where).findFirst().orElse(cls);
            errors.add(where + ": " + d.getMessage(null));
        }
        assertThat(errors).as("doc snippets that do not compile").isEmpty();
        assertThat(ok).isTrue();
    }

    /** @return the java blocks of {@code doc}, each named by the file and the line of its first code line */
    private static List<Snippet> snippets(Path root, Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        List<Snippet> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) continue;
            String before = i > 0 ? lines.get(i - 1).strip() : "";
            String context = "";
            boolean members = before.equals("<!-- java members -->");
            if (before.startsWith("<!-- java:") && before.endsWith("-->")) {
                context = before.substring("<!-- java:".length(), before.length() - "-->".length());
            }
            int start = i + 1;
            int end = start;
            while (!lines.get(end).strip().equals("```")) end++;
            String where = root.relativize(doc) + ":" + (start + 1);
            out.add(new Snippet(where, String.join("\n", lines.subList(start, end)), context, members));
            i = end;
        }
        return out;
    }

    /** A compilation unit held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
