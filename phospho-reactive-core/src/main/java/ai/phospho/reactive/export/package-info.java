/**
 * Where tasks go: the exporter SPI ({@link ai.phospho.reactive.export.TaskExporter}) and the
 * exporters of the library, to the phospho API and to a JSON Lines file.
 */
@NullMarked
package ai.phospho.reactive.export;

import org.jspecify.annotations.NullMarked;
