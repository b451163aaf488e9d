// Compiled by `npm run typecheck` (tsc --noEmit) to keep src/index.d.ts true to the SDK: a
// plugin written in TypeScript against the declared types.
import { Ctx, Plugin, PluginError, badInput, log } from '../src';

interface ShoutInput {
  text: string;
}

const plugin = new Plugin('shouter', '0.1.0')
  .feature('metrics')
  .capability<ShoutInput>('shout', {
    inputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
  }, async (ctx: Ctx, input) => {
    if (input.text.length > 1000) throw badInput('text is too long');
    await ctx.sleep(1);
    ctx.reportMetrics({ shouts: 1 });
    return { text: input.text.toUpperCase(), dataDir: ctx.dataDir ?? null };
  })
  .onConfigure((config) => {
    if (config === null) throw new PluginError('config_rejected', 'no config', true);
    log.info('configured');
  });

plugin.main();
