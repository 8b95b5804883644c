import { PyrepoGenerator, vendorDir, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'scripts/vendor.sh.ejs', executable: true }];

/** The script that vendors the shipped requirements. */
export default class VendorGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const data = { vendorDir, shipped: this.shippedFile() };
    this.renderFiles(files, data);
    this.addIgnoreLines('.gitignore', [`/${vendorDir}/`, `/${vendorDir}.new/`]);
    this.addReadmeSection({ id: 'vendor', title: 'Vendored dependencies', body: this.renderFragment('readme.md.ejs', data) });
  }
}

export type { Options };
