export declare const tools: Array<{ package: string; program?: string; python?: string; file?: string }>;
export declare function findProgram(program: string): string | undefined;
export declare function missingPackages(): string[];
export declare function packageOf(program: string): string | undefined;
export declare function installCommand(packages: string[]): string;
