package dev.pyshm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A text table with a header row, left-aligned columns (or right-aligned ones) and two spaces between. */
final class Table {
    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * Creates a table.
     *
     * @param headers the column headers
     */
    Table(String... headers) {
        this.headers = headers.clone();
        this.right = new boolean[headers.length];
    }

    /**
     * Right-aligns columns (numbers).
     *
     * @param columns the column indexes
     * @return this table
     */
    Table alignRight(int... columns) {
        for (int c : columns) {
            right[c] = true;
        }
        return this;
    }

    /**
     * Adds a row.
     *
     * @param cells one cell per column
     * @return this table
     * @throws IllegalArgumentException when the cell count does not match the headers
     */
    Table row(String... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    /**
     * Returns the number of rows (without the header).
     *
     * @return the count
     */
    int size() {
        return rows.size();
    }

    /**
     * Prints the header and the rows; the last column is not padded.
     *
     * @param out where to print
     */
    void print(PrintWriter out) {
        int[] width = new int[headers.length];
        List<String[]> all = new ArrayList<>(rows.size() + 1);
        all.add(headers);
        all.addAll(rows);
        for (String[] r : all) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], length(r[c]));
            }
        }
        for (String[] r : all) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                boolean last = c == r.length - 1;
                String pad = " ".repeat(width[c] - length(r[c]));
                if (right[c]) {
                    sb.append(pad).append(r[c]);
                } else {
                    sb.append(r[c]);
                    if (!last) {
                        sb.append(pad);
                    }
                }
                if (!last) {
                    sb.append("  ");
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
