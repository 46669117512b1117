/** Crawl progress: a live bar on a terminal, plain lines otherwise. */
import cliProgress from 'cli-progress';
import type { CrawlProgress } from '../crawl/crawl-registry.js';

export interface ProgressReporter {
  update(progress: CrawlProgress): void;
  stop(): void;
}

/** A reporter writing to `stream` (stderr): a bar when it is a TTY and `live`, else a line per repository. */
export function createProgressReporter(stream: NodeJS.WriteStream, live: boolean): ProgressReporter {
  if (live && stream.isTTY) return barReporter(stream);
  return {
    update({ repository, counts }) {
      stream.write(
        `crawled ${repository}: ${counts.repositories} repositories, ${counts.manifestsNew} new, ` +
          `${counts.manifestsUnchanged} unchanged, ${counts.errors} errors\n`,
      );
    },
    stop() {},
  };
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        'crawling {spinner} {value} repositories | {new} new, {unchanged} unchanged | {errors} errors | {repository}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const spinner = ['|', '/', '-', '\\'];
  let ticks = 0;
  bar.start(0, 0, { spinner: spinner[0], new: 0, unchanged: 0, errors: 0, repository: '' });
  return {
    update({ repository, counts }) {
      ticks += 1;
      bar.setTotal(counts.repositories);
      bar.update(counts.repositories, {
        spinner: spinner[ticks % spinner.length],
        new: counts.manifestsNew,
        unchanged: counts.manifestsUnchanged,
        errors: counts.errors,
        repository,
      });
    },
    stop: () => bar.stop(),
  };
}
