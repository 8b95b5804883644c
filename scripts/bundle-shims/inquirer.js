// Inquirer (with rxjs and the editor prompt's encodings) loads on the first question: runs with
// --yes, answers files or no terminal never pay for it. Yeoman's adapter only calls the module.
import loadInquirer from 'lazy:inquirer';
export function createPromptModule(options) {
  let real;
  const registered = [];
  const promptModule = async (questions, answers) => {
    if (!real) {
      const inquirer = await loadInquirer();
      real = inquirer.createPromptModule(options);
      for (const [name, prompt] of registered) real.registerPrompt(name, prompt);
    }
    return real(questions, answers);
  };
  promptModule.prompts = {};
  promptModule.restoreDefaultPrompts = () => {};
  promptModule.registerPrompt = (name, prompt) => {
    registered.push([name, prompt]);
    return promptModule;
  };
  return promptModule;
}
