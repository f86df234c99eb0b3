// OWL 2 profile check with the OWL API (Debian's libowlapi-java), offline.
//
// Usage: java -cp OWLAPI_CLASSPATH tools/owl/ProfileCheck.java [--profile DL|EL|QL|RL] FILE...
// (python3 tools/owl/dl_check.py --classpath prints OWLAPI_CLASSPATH.) Each FILE (Turtle,
// RDF/XML, N-Triples) is loaded into a fresh ontology manager and checked against the
// profile, OWL 2 DL by default. For each file it prints:
//
//   file: FILE
//   VIOLATION <kind>: <text>     one line per profile violation
//   UNPARSED <triple>            one per RDF triple the OWL API could not map to an axiom
//   GUESSED <kind> <iri>         one per entity the parser had to guess the kind of
//                                (used but not declared)
//   IMPORT <iri>                 one per owl:imports, which is never followed
//   profile: <name>
//   violations: N / unparsed: N / guessed: N / imports: N / axioms: N
//
// Exit code 0 when every count but axioms is 0 for every file, 1 otherwise, 2 on an error.
// Nothing is fetched: every owl:imports is mapped to a file that does not exist and
// reported as a missing import, never looked up on the network.

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWL2ELProfile;
import org.semanticweb.owlapi.profiles.OWL2QLProfile;
import org.semanticweb.owlapi.profiles.OWL2RLProfile;
import org.semanticweb.owlapi.profiles.OWLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    private static String oneLine(Object o) {
        return String.valueOf(o).replaceAll("\\s+", " ").trim();
    }

    private static OWLProfile profile(String name) {
        switch (name) {
            case "DL": return new OWL2DLProfile();
            case "EL": return new OWL2ELProfile();
            case "QL": return new OWL2QLProfile();
            case "RL": return new OWL2RLProfile();
            default: throw new IllegalArgumentException("unknown profile " + name + " (DL, EL, QL or RL)");
        }
    }

    public static void main(String[] args) {
        List<File> files = new ArrayList<>();
        String name = "DL";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--profile") && i + 1 < args.length) {
                name = args[++i];
            } else {
                files.add(new File(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: ProfileCheck [--profile DL|EL|QL|RL] FILE...");
            System.exit(2);
        }
        boolean clean = true;
        for (File file : files) {
            try {
                clean &= check(file, profile(name));
            } catch (Exception | LinkageError e) {
                System.err.println(file + ": " + oneLine(e));
                System.exit(2);
            }
        }
        System.exit(clean ? 0 : 1);
    }

    private static boolean check(File file, OWLProfile profile) throws Exception {
        if (!file.isFile()) {
            throw new IllegalArgumentException("no such file");
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        File nowhere = new File(file.getAbsoluteFile().getParentFile(), ".no-such-import-" + System.nanoTime());
        manager.getIRIMappers().clear();
        manager.getIRIMappers().add(iri -> IRI.create(nowhere));
        List<String> imports = new ArrayList<>();
        manager.addMissingImportListener(event -> imports.add("IMPORT " + event.getImportedOntologyURI()));
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT)
                .setFollowRedirects(false);
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(file), config);

        OWLProfileReport report = profile.checkOntology(ontology);
        List<String> violations = new ArrayList<>();
        for (OWLProfileViolation v : report.getViolations()) {
            violations.add("VIOLATION " + v.getClass().getSimpleName() + ": " + oneLine(v));
        }
        List<String> unparsed = new ArrayList<>();
        List<String> guessed = new ArrayList<>();
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        if (format != null && format.getOntologyLoaderMetaData().isPresent()) {
            OWLOntologyLoaderMetaData meta = format.getOntologyLoaderMetaData().get();
            meta.getUnparsedTriples().forEach(t -> unparsed.add("UNPARSED " + oneLine(t)));
            meta.getGuessedDeclarations().forEach(
                    (iri, kind) -> guessed.add("GUESSED " + kind.getSimpleName() + " " + iri));
        }
        System.out.println("file: " + file);
        for (List<String> lines : List.of(violations, unparsed, guessed, imports)) {
            lines.sort(null);
            lines.forEach(System.out::println);
        }
        System.out.println("profile: " + profile.getName());
        System.out.println("violations: " + violations.size());
        System.out.println("unparsed: " + unparsed.size());
        System.out.println("guessed: " + guessed.size());
        System.out.println("imports: " + imports.size());
        System.out.println("axioms: " + ontology.getAxiomCount());
        return violations.isEmpty() && unparsed.isEmpty() && guessed.isEmpty() && imports.isEmpty();
    }
}
