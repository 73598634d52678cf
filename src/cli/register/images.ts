import type { CommandContext } from './context.js';
import { helpFooter } from './context.js';

/** `images`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'images export /shared/images --from shard-1.json',
    'images import /shared/images',
    'images push registry.example:5000/perf --from shard-1.json --manifest images.json',
    'images pull images.json',
  ],
  undefined,
);

export function registerImages(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
  const images = command(
    'images',
    'the same bits on every host: export the images a run measured as archives with their IDs, import them elsewhere',
  );
  images
    .command('export')
    .description(
      'write every image a results file measured (scenario, checkpoint and AOT cache images) to DIR as archives, ' +
        'with images.json: each tag, image ID and archive SHA-256',
    )
    .argument('<dir>', 'the directory to write')
    .option('--from <results>', 'the results file whose images to export (required)')
    .action(async (dir: string, opts: { from?: string }) =>
      setCode(await (await import('../commands/images.js')).imagesExportCommand(dir, opts, io)),
    );
  images
    .command('push')
    .description(
      'push every image a results file measured to a registry and write a manifest of their digests (and IDs)',
    )
    .argument('<registry>', 'registry and namespace, e.g. registry.example:5000/perf')
    .option('--from <results>', 'the results file whose images to push (required)')
    .option('--manifest <file>', 'where to write the digests (required)')
    .option('--no-tls-verify', 'talk plain HTTP or accept any certificate (a local registry)')
    .action(async (registry: string, opts: { from?: string; manifest?: string; tlsVerify?: boolean }) =>
      setCode(await (await import('../commands/images.js')).imagesPushCommand(registry, opts, io)),
    );
  images
    .command('pull')
    .description('pull every image of a push manifest by digest, checking each image ID (exit 2 otherwise)')
    .argument('<manifest>', 'the file images push wrote')
    .option('--no-tls-verify', 'talk plain HTTP or accept any certificate (a local registry)')
    .action(async (manifest: string, opts: { tlsVerify?: boolean }) =>
      setCode(await (await import('../commands/images.js')).imagesPullCommand(manifest, opts, io)),
    );
  images
    .command('import')
    .description(
      'load every archive of an export, refusing an archive whose SHA-256 or loaded image ID differs from ' +
        'images.json (exit 2)',
    )
    .argument('<dir>', 'a directory written by images export')
    .action(async (dir: string) => setCode(await (await import('../commands/images.js')).imagesImportCommand(dir, io)));
}
