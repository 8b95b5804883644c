// ora loads string-width, which compiles a Unicode emoji regex and an Intl.Segmenter at load
// (~55 ms). Yeoman's adapter creates a spinner for every run but only spins it on a terminal; so
// ora loads when a spinner starts on one, and elsewhere this prints what ora prints there.
// The adapter uses start, stop, succeed, isSpinning and suffixText.
import loadOra from 'lazy:ora';
export default function ora(options = {}) {
  const stream = options.stream ?? process.stderr;
  const interactive = Boolean(stream.isTTY && process.env.TERM !== 'dumb' && !('CI' in process.env));
  let real;
  let spinning = false;
  let text;
  let suffixText = '';
  const spinner = {
    get isSpinning() {
      return real ? real.isSpinning : spinning;
    },
    get suffixText() {
      return suffixText;
    },
    set suffixText(value) {
      suffixText = value;
      if (real) real.suffixText = value;
    },
    start(value) {
      text = value ?? text;
      if (real) {
        real.start(text);
      } else if (!interactive) {
        if (text) stream.write(`- ${text}\n`);
      } else if (!spinning) {
        spinning = true;
        void loadOra().then(({ default: create }) => {
          real = create(options);
          real.suffixText = suffixText;
          if (spinning) real.start(text);
        });
      }
      return spinner;
    },
    stop() {
      spinning = false;
      real?.stop();
      return spinner;
    },
    succeed(value) {
      if (real) return real.succeed(value), spinner;
      if (spinning && (value ?? text)) stream.write(`✔ ${value ?? text}\n`);
      spinning = false;
      return spinner;
    },
  };
  return spinner;
}
