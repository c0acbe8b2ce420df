package dev.guildhall.knowledge.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Small documents of each format, made in the test rather than checked in. */
public final class Fixtures {
    private Fixtures() {}

    /** A PDF with one page per entry of {@code pages}, each page's lines drawn in Helvetica. */
    public static byte[] pdf(String title, List<List<String>> pages) {
        try (PDDocument doc = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDDocumentInformation info = new PDDocumentInformation();
            info.setTitle(title);
            doc.setDocumentInformation(info);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (List<String> lines : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(font, 11);
                    content.setLeading(14);
                    content.newLineAtOffset(50, 720);
                    for (String line : lines) {
                        content.showText(line);
                        content.newLine();
                    }
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final String MARKDOWN =
            """
            # Card policy

            Intro text about **cards** with a [link](https://example.com).

            ## Lost or stolen cards

            Freeze the card in the app at once. A replacement arrives in 3 to 5 working days.

            ```
            # not a heading inside code
            ```

            ### Abroad

            Abroad, we send an emergency card by courier within 2 days.

            ## Fees

            - ATM withdrawals are free up to 200 euros a month.
            - Above that, 2 percent is charged.
            """;

    public static final String HTML =
            """
            <html><head><title>Savings accounts</title><style>body { color: red }</style>
            <script>var tracking = "do not index me";</script></head>
            <body>
              <nav>Home | Accounts | Contact</nav>
              <h1>Savings accounts</h1>
              <p>The Easy Saver pays <b>3.1%</b> interest a year, paid monthly.</p>
              <h2>Withdrawals</h2>
              <div>You can withdraw at any time<br>without a fee.</div>
              <ul><li>Instant transfers to your current account.</li><li>No notice period.</li></ul>
              <footer>Copyright Northwind</footer>
            </body></html>
            """;
}
