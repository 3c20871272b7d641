/**
 * Every lazily loaded part of the checkers, imported statically and handed to its `lazy`
 * (util/lazy.ts): imported by the entries of worker threads that run checkers (recheck's and
 * the check guard's), where a dynamic import cannot be relied on under tsx. A new `lazy` in a
 * checker gets its line here.
 */
import * as elleCheck from '../elle/check.js';
import { elleAnalysis } from '../elle/checker.js';
import * as linearCertificate from '../linear/certificate.js';
import * as linearPicture from '../linear/picture.js';
import * as linearViewer from '../linear/viewer/page.js';
import { linearCertificateCode, linearPictureCode, linearViewerCode } from '../linear/checker.js';
import * as timelinePageModule from '../render/timeline/page.js';
import { timelinePage } from '../checkers/timeline.js';
import * as piscina from 'piscina';
import { piscinaModule } from './fallback-pool.js';

elleAnalysis.preload(elleCheck);
linearCertificateCode.preload(linearCertificate);
linearPictureCode.preload(linearPicture);
linearViewerCode.preload(linearViewer);
timelinePage.preload(timelinePageModule);
piscinaModule.preload(piscina);
