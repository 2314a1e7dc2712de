import { PageQuery } from '../../common/pagination/page.query';

export class ListProductsQuery extends PageQuery {}
