// Runs gnuplot (Debian's gnuplot-nox) as a subprocess to draw the report's plots as SVG. The script carries
// its data inline (gnuplot datablocks), so no data files are needed; the SVG comes back as a string.
#pragma once
#include <string>
#include <vector>

namespace osgan::report {

// The gnuplot executable: $OSGAN_GNUPLOT when set, else "gnuplot" from PATH.
std::string gnuplot_program();

// True when gnuplot can be started and has the svg terminal.
bool gnuplot_available();

// Runs `script` (which must set the svg terminal and draw one plot) and returns the SVG document printed on
// stdout. Throws osgan::Error: unsupported when gnuplot cannot be started, numerical/bad_format when it
// fails (the message carries gnuplot's first error line), interrupted after `timeout_seconds`.
std::string run_gnuplot_svg(const std::string& script, double timeout_seconds = 60.0);

// A gnuplot datablock: "$name << EOD\n<rows>\nEOD\n". Non-finite values are written as NaN (gnuplot skips
// them). `columns` are the data columns, all of one length.
std::string gnuplot_datablock(const std::string& name, const std::vector<std::vector<double>>& columns);

// Quotes text for a gnuplot string literal (double quotes; escapes backslash, quote, and the enhanced-text
// specials so labels print literally).
std::string gnuplot_quote(const std::string& text);

}  // namespace osgan::report
