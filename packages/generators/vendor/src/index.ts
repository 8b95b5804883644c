import { PyrepoGenerator, vendorDir, type FileSpec } from '@pyrepo/core';
import type { Options } from './options.js';

const files: FileSpec[] = [{ template: 'scripts/vendor.sh.ejs', executable: true }];

/** The script that vendors the shipped requirements. */
export default class VendorGenerator extends PyrepoGenerator<Options> {
  writing(): void {
    const shipped = this.shippedFile();
    const emptyLockFix = this.repositoryHas('scripts/freeze-requirements.sh') ? 'freeze it first with scripts/freeze-requirements.sh' : 'add the production dependencies to it';
    const data = { vendorDir, shipped, emptyLockFix };
    this.renderFiles(files, data);
    this.addIgnoreLines('.gitignore', [`/${vendorDir}/`, `/${vendorDir}.new/`]);
    this.addReadmeSection({ id: 'vendor', title: 'Vendored dependencies', body: this.renderFragment('readme.md.ejs', data) });
  }
}

export type { Options };
