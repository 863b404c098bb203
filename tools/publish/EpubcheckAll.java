// Checks every EPUB named on the command line in one JVM (starting one costs seconds).
// Run in source-file mode: java -cp epubcheck.jar tools/EpubcheckAll.java A.epub B.epub
// Messages go out as EPUBCheck prints them (ERROR(...), WARNING(...)); exit status 1 if any.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubcheckAll {
    public static void main(String[] args) {
        int failed = 0;
        for (String name : args) {
            DefaultReportImpl report = new DefaultReportImpl(name);
            new EpubCheck(new File(name), report).doValidate();
            int problems = report.getFatalErrorCount() + report.getErrorCount() + report.getWarningCount();
            System.out.println("CHECKED " + name + " " + problems);
            if (problems > 0) {
                failed++;
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
